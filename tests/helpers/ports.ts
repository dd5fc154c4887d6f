export * from "@/provisioning/local/ports";
