import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// `base: './'` keeps asset URLs relative, so the same build loads from file://
// inside Electron and from `/` on the headless server.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    // The CSP forbids inline scripts; keep Vite from inlining anything as a data: module.
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 2000,
  },
  server: {
    host: '127.0.0.1',
    // During `vite dev`, the UI API lives on the engine's server.
    proxy: {
      '/api': { target: 'http://127.0.0.1:4780', changeOrigin: false },
    },
  },
});
