// Integration tests talk https to the sandbox's self-signed certificate; set here because a test
// file only sees a copy of process.env (the TLS check reads the real one). Workers inherit it.
process.env.NODE_TLS_REJECT_UNAUTHORIZED = "0";
/** Test tiers are folders: unit (pure, no I/O), integration (adapters against the sandbox over real HTTP). */
const transform = {
  "^.+\\.(t|j)sx?$": [
    "@swc/jest",
    {
      jsc: {
        parser: { syntax: "typescript", tsx: true },
        transform: { react: { runtime: "automatic" } },
        target: "es2021",
      },
      module: { type: "commonjs" },
    },
  ],
};
// @pnp/* ships only ES modules: let the transform compile them.
const transformIgnorePatterns = ["/node_modules/(?!(@pnp)/)"];

module.exports = {
  projects: [
    {
      displayName: "unit",
      testMatch: ["<rootDir>/test/unit/**/*.test.ts?(x)"],
      testEnvironment: "node",
      transform,
      transformIgnorePatterns,
    },
    {
      displayName: "integration",
      testMatch: ["<rootDir>/test/integration/**/*.test.ts?(x)"],
      testEnvironment: "node",
      transform,
      transformIgnorePatterns,
    },
  ],
};
