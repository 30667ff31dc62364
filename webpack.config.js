// Builds the web resources into webresources/dist/<web resource name>, e.g. dist/cfx_/js/case-panel.js.
// One entry per JS web resource (listed in src/model/webresources.ts); the panels share one vendor
// chunk (cfx_/js/vendor.js: the libraries at least two panels use) and load MSAL + Graph on demand
// from one shared chunk (cfx_/js/graph.js), so a second panel costs little once the first is cached; the form
// scripts are a `var` library so that `cfx.CaseForm.onLoad` resolves as a form event handler.
const fs = require("node:fs");
const path = require("node:path");
const webpack = require("webpack");

const root = __dirname;
const dist = path.join(root, "webresources/dist");
const prefix = "cfx_";

/** The web resource list, from the model (plain TypeScript data, loaded through tsx). */
function webResourceList() {
  const tsx = require("tsx/cjs/api");
  return tsx.require("./src/model/webresources.ts", __filename).webResources;
}

// The panels share the vendor chunk. The dashboard's retention tile (React, no Fluent) bundles its
// own React: in the vendor group it would make webpack guard every Fluent module in vendor.js for
// the chunk that does not use it, about 1 KB gzipped more on every panel's first load.
const panels = new Set(["case-panel", "ticket-panel", "upload-dialog"]);

function entries() {
  const out = {};
  for (const wr of webResourceList()) {
    if (!wr.entry) continue;
    const file = path.join(root, wr.entry);
    // An entry whose module is not written yet is left out, loudly, instead of failing the build.
    if (!fs.existsSync(file)) {
      console.warn(`webpack: ${wr.entry} does not exist yet; ${wr.name} is not built.`);
      continue;
    }
    const chunk = path.basename(wr.name, ".js");
    out[chunk] = chunk === "forms" ? { import: file, library: { name: "cfx", type: "var" } } : { import: file };
  }
  return out;
}

/** Copies the hand-written shells and assets in webresources/ (HTML, SVG, CSS) to dist/cfx_/. */
class StaticWebResources {
  apply(compiler) {
    const { Compilation, sources } = compiler.webpack;
    compiler.hooks.thisCompilation.tap("StaticWebResources", (compilation) => {
      compilation.hooks.processAssets.tap({ name: "StaticWebResources", stage: Compilation.PROCESS_ASSETS_STAGE_ADDITIONAL }, () => {
        const walk = (dir) => {
          for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
            const full = path.join(dir, e.name);
            if (full === dist) continue;
            if (e.isDirectory()) walk(full);
            else if (/\.(html|svg|css|png)$/.test(e.name)) {
              const rel = path.relative(path.join(root, "webresources"), full).split(path.sep).join("/");
              compilation.emitAsset(`${prefix}/${rel}`, new sources.RawSource(fs.readFileSync(full)));
              compilation.fileDependencies.add(full);
            }
          }
        };
        walk(path.join(root, "webresources"));
      });
    });
  }
}

/**
 * Fails the build when it emits a JS file that is not a registered web resource (a new on-demand
 * chunk, a renamed one): the sandbox serves and the packer ships only src/model/webresources.ts.
 */
class RegisteredScriptsOnly {
  apply(compiler) {
    const { Compilation, WebpackError } = compiler.webpack;
    compiler.hooks.thisCompilation.tap("RegisteredScriptsOnly", (compilation) => {
      compilation.hooks.processAssets.tap({ name: "RegisteredScriptsOnly", stage: Compilation.PROCESS_ASSETS_STAGE_REPORT }, (assets) => {
        const registered = new Set(webResourceList().map((wr) => wr.name));
        for (const name of Object.keys(assets)) {
          if (name.endsWith(".js") && !registered.has(name)) {
            compilation.errors.push(new WebpackError(`${name} is emitted but not a web resource: add it to src/model/webresources.ts.`));
          }
        }
      });
    });
  }
}

module.exports = (_env, argv) => {
  const production = argv.mode !== "development";
  return {
    mode: production ? "production" : "development",
    context: root,
    entry: entries(),
    output: {
      path: dist,
      filename: `${prefix}/js/[name].js`,
      // Chunks loaded on demand (the case panel's dialogs) keep a stable name: each is a web resource.
      chunkFilename: `${prefix}/js/[name].js`,
      // Web resources reference each other by relative paths (never root-relative /WebResources/…).
      publicPath: "auto",
      clean: true,
    },
    // Production writes each map beside its script but puts no `//# sourceMappingURL=` in the
    // script: maps are never shipped (Dataverse has no web resource type for them and the packer
    // refuses them), so a reference would point the browser's developer tools at a file that is
    // not there. Keep the maps for reading a stack trace from the field.
    devtool: production ? "hidden-source-map" : "eval-source-map",
    resolve: { extensions: [".tsx", ".ts", ".js"] },
    module: {
      rules: [
        {
          test: /\.tsx?$/,
          exclude: /node_modules/,
          use: { loader: "ts-loader", options: { transpileOnly: true, compilerOptions: { sourceMap: true } } },
        },
      ],
    },
    optimization: {
      // The HTML shells ship as written: their Content-Security-Policy allows each inline <style>
      // by the hash of its exact text, which minifying the HTML (and the CSS in it) would change.
      minimizeOptions: { html: false },
      splitChunks: {
        cacheGroups: {
          // An on-demand chunk keeps its own libraries: a numbered split chunk could not be a web resource.
          defaultVendors: false,
          default: false,
          vendor: {
            test: /[\\/]node_modules[\\/]/,
            name: "vendor",
            chunks: (chunk) => panels.has(chunk.name),
            // Only what every panel uses: a library one panel needs (the upload dialog's Dialog,
            // the ticket panel's Shimmer) stays in that panel's chunk instead of every first paint.
            minChunks: 2,
            enforce: true,
          },
        },
      },
    },
    performance: { hints: false },
    plugins: [
      new StaticWebResources(),
      new RegisteredScriptsOnly(),
      // Fluent's BaseButton imports ContextualMenu (and with it Callout) for buttons with menus,
      // which no panel has: ~20 KB gzipped off every first paint (src/entries/noButtonMenus.ts).
      new webpack.NormalModuleReplacementPlugin(/^\.\.\/\.\.\/ContextualMenu$/, (resource) => {
        if (/[\\/]@fluentui[\\/]react[\\/]lib[\\/]components[\\/]Button[\\/]BaseButton\.js$/.test(resource.contextInfo?.issuer ?? "")) {
          resource.request = path.join(root, "src/entries/noButtonMenus.ts");
        }
      }),
    ],
    stats: "errors-warnings",
  };
};
