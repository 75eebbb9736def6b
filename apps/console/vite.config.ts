import react from '@vitejs/plugin-react';
import { defaultClientConditions, defineConfig } from 'vite';

export default defineConfig({
  plugins: [react()],
  // Workspace packages export their TypeScript under `source` (docs/adr/0025-build-with-esbuild.md):
  // the console bundles that, so building it never depends on the packages' dist/ being built first.
  resolve: { conditions: ['source', ...defaultClientConditions] },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The CSP allows no inline script or style: everything ships as a file.
    assetsInlineLimit: 0,
    target: 'es2022',
  },
});
