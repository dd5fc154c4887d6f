export * from "@/provisioning/local/processes";
