// Kernel modules of the "math" group (element-wise math ops), registered by register-all.ts
// through all-ops.ts. Add one `export * from "./<Op>.js";` line per kernel file.

export * from "./Acos.js";
export * from "./Acosh.js";
export * from "./Asin.js";
export * from "./Asinh.js";
export * from "./Atan.js";
export * from "./Atan2.js";
export * from "./Atanh.js";
export * from "./ClipByValue.js";
export * from "./Cos.js";
export * from "./Cosh.js";
export * from "./Digamma.js";
export * from "./DivNoNan.js";
export * from "./Erf.js";
export * from "./Erfc.js";
export * from "./Expm1.js";
export * from "./IsFinite.js";
export * from "./IsInf.js";
export * from "./IsNan.js";
export * from "./Lgamma.js";
export * from "./Log1p.js";
export * from "./Mod.js";
export * from "./MulNoNan.js";
export * from "./Polygamma.js";
export * from "./Sin.js";
export * from "./Sinh.js";
export * from "./Tan.js";
export * from "./TruncateDiv.js";
export * from "./TruncateMod.js";
export * from "./Xdivy.js";
export * from "./Xlog1py.js";
export * from "./Xlogy.js";
export * from "./Zeta.js";
