import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const LEGACY_TEXT_FIELD = fileURLToPath(new URL('./src/compat/LegacyTextField.tsx', import.meta.url));

/**
 * react-admin 5's modules get TextField from src/compat/LegacyTextField.tsx instead of @mui/material: it
 * hands their MUI 5 props (InputProps…) to MUI 9's slots rather than to the DOM. Both shapes of import
 * (named from '@mui/material' or the default of '@mui/material/TextField').
 */
function raLegacyTextField(): Plugin {
  const named = /import \{([^}]*)\} from '@mui\/material';/g;
  const byDefault = /import (\w+) from '@mui\/material\/TextField';/;
  const shim = (local: string) => `import { LegacyTextField as ${local} } from ${JSON.stringify(LEGACY_TEXT_FIELD)};`;
  return {
    name: 'ra-legacy-text-field',
    enforce: 'pre',
    transform(code, id) {
      if (!/[\\/]node_modules[\\/]ra-ui-materialui[\\/]dist[\\/].*\.js$/.test(id) || !/\bTextField\b/.test(code)) return null;
      const direct = byDefault.exec(code);
      if (direct) return { code: code.replace(direct[0], shim(direct[1])), map: null };
      for (const found of code.matchAll(named)) {
        const names = found[1]
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
        const textField = names.find((n) => /^TextField(?:\s+as\s+\w+)?$/.test(n));
        if (!textField) continue;
        const others = names.filter((n) => n !== textField);
        const replaced = `${others.length ? `import { ${others.join(', ')} } from '@mui/material';` : ''}${shim(textField.split(/\s+as\s+/)[1] ?? 'TextField')}`;
        return { code: code.replace(found[0], replaced), map: null };
      }
      return null;
    },
  };
}

// `npx vite --config admin-ui/vite.config.ts` serves the UI with hot reload against the API on :3000.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [raLegacyTextField(), react()],
  // (The dev server pre-bundles react-admin without the plugin above: there React still warns of InputProps.)
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 4000 },
  server: { port: 5173, proxy: { '/api': 'http://127.0.0.1:3000' } },
});
