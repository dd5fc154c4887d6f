export * from "@/provisioning/local/ejabberd";
