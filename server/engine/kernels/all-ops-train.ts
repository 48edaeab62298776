// Kernel modules of the "train" group, registered by register-all.ts through all-ops.ts.
// Add one `export * from "./<Op>.js";` line per kernel file.

export {};
