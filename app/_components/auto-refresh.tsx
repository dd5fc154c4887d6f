"use client";
import { useEffect } from "react";
import { useRouter } from "next/navigation";

// Re-renders the page while work is in progress, so statuses update without a reload.
export function AutoRefresh({ seconds }: { seconds: number }) {
  const router = useRouter();
  useEffect(() => {
    const timer = setInterval(() => router.refresh(), seconds * 1000);
    return () => clearInterval(timer);
  }, [router, seconds]);
  return (
    <p className="sr-only" aria-live="polite">
      This list updates by itself.
    </p>
  );
}
