import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { mobilePwa, preactForMobile } from './m/pwa.js';
import { precompress } from './precompress.js';

const root = fileURLToPath(new URL('.', import.meta.url));
const mobileEntry = `${root}m/index.html`;
// `npm run dev` proxies the API to the server started with `npm start` (or another: GRASSROOTS_API=http://host:port).
const apiTarget = process.env.GRASSROOTS_API ?? 'http://127.0.0.1:3000';

const vendor = (names: string) => new RegExp(`node_modules[\\\\/](${names})[\\\\/]`);
const antdFamily = vendor(
  'antd|@ant-design|@rc-component|rc-[^/\\\\]+|dayjs|@babel[\\\\/]runtime|stylis|classnames',
);

// One Vite project, two entries: the desktop console (/) and, when present, the mobile H5 app (/m/).
// Pages are split by route (React.lazy in console/nav.tsx); vendors by the code-splitting groups below
export default defineConfig(({ command }) => {
  // A build is a production build even when NODE_ENV says otherwise (the e2e setup builds under
  // NODE_ENV=test): React and antd would otherwise ship their development builds and warnings.
  if (command === 'build') process.env.NODE_ENV = 'production';
  return {
    root,
    base: '/',
    plugins: [preactForMobile(`${root}m/`), react(), mobilePwa(mobileEntry), precompress(`${root}dist`)],
    build: {
      outDir: `${root}dist`,
      emptyOutDir: true,
      chunkSizeWarningLimit: 1500,
      rollupOptions: {
        input: { console: `${root}index.html`, ...(existsSync(mobileEntry) ? { mobile: mobileEntry } : {}) },
        output: {
          // Vendor chunks (rolldown code-splitting groups; higher priority claims a module first). Geoman stays
          // out of the leaflet chunk: it needs window.L and is loaded by the grid editor on demand.
          // antd is split in two: what the first screen (login, shell) imports is in `antd`, loaded up
          // front; the rest (Table, TreeSelect, DatePicker, …) is in `antd-extra`, fetched with the
          // first page that needs it.
          codeSplitting: {
            groups: [
              // React alone is what /m/ shares with the console; the router and react-query stay out of
              // the mobile app's first download (its budget is 150 KB gzipped).
              { name: 'react', test: vendor('react|react-dom|scheduler'), priority: 50 },
              { name: 'react-libs', test: vendor('react-router|@tanstack'), priority: 50 },
              { name: 'echarts', test: vendor('echarts|zrender|echarts-for-react'), priority: 40 },
              { name: 'leaflet', test: vendor('leaflet'), priority: 40 },
              { name: 'antd', test: antdFamily, tags: ['$initial'], priority: 30 },
              { name: 'antd-extra', test: antdFamily, priority: 20 },
            ],
          },
        },
      },
    },
    server: {
      proxy: { '/api': apiTarget, '/open311': apiTarget },
    },
  };
});
