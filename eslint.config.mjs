import tseslint from "typescript-eslint";
import powerApps from "@microsoft/eslint-plugin-power-apps";
import prettier from "eslint-config-prettier";

export default tseslint.config(
  {
    ignores: ["node_modules/", "webresources/dist/", "solution/bin/", ".sandbox/", "coverage/", "test-results/", "playwright-report/"],
  },
  ...tseslint.configs.recommended,
  {
    files: ["src/**/*.{ts,tsx}", "webresources/**/*.js"],
    plugins: { "@microsoft/power-apps": powerApps },
    rules: {
      ...powerApps.configs.paCheckerHosted.rules,
    },
  },
  {
    files: ["**/*.js", "**/*.mjs", "**/*.cjs"],
    languageOptions: {
      globals: { require: "readonly", module: "writable", process: "readonly", __dirname: "readonly", console: "readonly" },
    },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  prettier,
);
