import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The CSP allows no inline script or style: everything ships as a file.
    assetsInlineLimit: 0,
    target: 'es2022',
  },
});
