import '@mantine/core/styles.css';
import '@mantine/charts/styles.css';
import './i18n';
import { MantineProvider, createTheme, type CSSVariablesResolver } from '@mantine/core';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';

const theme = createTheme({
  primaryColor: 'indigo',
  // Darker shades keep text on light badges and buttons above WCAG AA contrast.
  primaryShade: 7,
  autoContrast: true,
  // People who ask their system for less motion get no transitions (modals, segmented controls).
  respectReducedMotion: true,
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
});

// Mantine's default "dimmed" grey is below WCAG AA contrast on white; use a darker one.
// Likewise light badges and alerts print their text in a mid shade that fails on their tinted
// background for green, teal, yellow and orange; shade 9 darkened a third keeps the hue and passes.
const cssVariablesResolver: CSSVariablesResolver = (th) => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    ...Object.fromEntries(Object.keys(th.colors).map((c) => [`--mantine-color-${c}-light-color`, `color-mix(in srgb, var(--mantine-color-${c}-9) 65%, black)`])),
  },
  dark: {},
});

const root = document.getElementById('root');
if (!root) throw new Error('missing #root');
createRoot(root).render(
  <StrictMode>
    <MantineProvider theme={theme} defaultColorScheme="light" cssVariablesResolver={cssVariablesResolver}>
      <App />
    </MantineProvider>
  </StrictMode>,
);
