import nextVitals from "eslint-config-next/core-web-vitals";
import nextTypescript from "eslint-config-next/typescript";
import prettier from "eslint-config-prettier/flat";

// The layers, bottom to top: core → provisioning → lib → app. A layer imports only those
// below it (docs/architecture.md); this rule fails the lint step when one reaches up.
const layers = [
  {
    target: "./core",
    from: ["./provisioning", "./lib", "./app"],
    message: "core/ is the shared ground: it imports nothing from provisioning/, lib/ or app/.",
  },
  {
    target: "./provisioning",
    from: ["./lib", "./app"],
    message: "provisioning/ knows no domain: pass what it needs in, or move the code to lib/.",
  },
  {
    target: "./lib",
    from: "./app",
    message: "lib/ is below app/: move the shared piece into lib/.",
  },
  {
    target: "./app",
    from: ["./core/db.ts", "./core/db-sqlite.ts", "./generated"],
    message: "Pages, actions and routes read and write through lib/<domain>, never Prisma.",
  },
];

const config = [
  {
    ignores: [
      ".next/**",
      "generated/**",
      "node_modules/**",
      "data/**",
      "next-env.d.ts",
      "bench/results/**",
      "prisma/**/migrations/**",
    ],
  },
  ...nextVitals,
  ...nextTypescript,
  prettier,
  {
    settings: {
      "import/resolver": { typescript: { project: "./tsconfig.json" }, node: true },
    },
    rules: {
      "import/no-cycle": ["error", { ignoreExternal: true }],
      "import/no-restricted-paths": ["error", { zones: layers }],
      "no-restricted-imports": [
        "error",
        {
          paths: [
            {
              name: "next/link",
              message: "Import Link from @/app/_components/link: it does not prefetch.",
            },
          ],
          patterns: [
            { group: ["@prisma/*"], message: "Only core/db.ts builds the Prisma client." },
          ],
        },
      ],
      // Parley's images are its own small SVGs, served as they are.
      "@next/next/no-img-element": "off",
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" },
      ],
    },
  },
  {
    files: [
      "core/db.ts",
      "core/db-sqlite.ts",
      "scripts/**",
      "tests/**",
      "bench/**",
      "prisma.config.ts",
      "app/_components/link.tsx",
    ],
    rules: { "no-restricted-imports": "off" },
  },
];

export default config;
