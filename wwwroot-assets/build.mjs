// Bundles the control-room map module and copies MapLibre's worker and CSS beside it.
// Output: ../src/ControlRoom.Web/wwwroot/lib/map/ (generated, git-ignored).
import { build } from 'esbuild';
import { copyFile, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const outDir = join(here, '..', 'src', 'ControlRoom.Web', 'wwwroot', 'lib', 'map');
const maplibreDist = join(here, 'node_modules', 'maplibre-gl', 'dist');

await mkdir(outDir, { recursive: true });

await build({
  entryPoints: [join(here, 'src', 'map.js')],
  outfile: join(outDir, 'controlroom-map.js'),
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  sourcemap: false,
  legalComments: 'eof',
  logLevel: 'warning',
});

await build({
  entryPoints: [join(here, 'src', 'map.css')],
  outfile: join(outDir, 'controlroom-map.css'),
  bundle: true,
  minify: true,
  target: 'es2022',
  logLevel: 'warning',
});

// The worker is loaded at run time from new URL('./maplibre-gl-worker.mjs', import.meta.url).
for (const file of ['maplibre-gl-worker.mjs', 'maplibre-gl.css']) {
  await copyFile(join(maplibreDist, file), join(outDir, file));
}

console.log(`map bundle written to ${outDir}`);
