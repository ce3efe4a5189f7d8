import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

/** The API server the dev server forwards to (the same origin in production). */
const apiTarget = process.env.QIAOLIANG_API ?? 'http://127.0.0.1:3000';

/** The owner portal: served by the server under /portal/. */
export default defineConfig({
  base: '/portal/',
  plugins: [react()],
  server: {
    port: 5174,
    // changeOrigin stays false: the server's CSRF check compares Origin with Host.
    proxy: { '/api': { target: apiTarget, changeOrigin: false } },
  },
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 600 },
});
