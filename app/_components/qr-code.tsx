"use client";
import { useEffect, useState } from "react";
import QRCode from "qrcode";

// Drawn in the browser from a value the page already has (a one-time link shown once).
export function QrCode({ value, label }: { value: string; label: string }) {
  const [svg, setSvg] = useState("");
  useEffect(() => {
    QRCode.toString(value, { type: "svg", margin: 1, errorCorrectionLevel: "M" })
      .then(setSvg)
      .catch(() => setSvg(""));
  }, [value]);
  return (
    <div
      className="w-40 rounded border border-slate-200 bg-white p-1"
      role="img"
      aria-label={label}
      data-testid="qr-code"
      dangerouslySetInnerHTML={{ __html: svg }}
    />
  );
}
