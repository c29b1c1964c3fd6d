// Replaced at build time by esbuild's `define`; the fallback serves tsx and vitest.
declare const __PRESSLINK_VERSION__: string | undefined;
export const VERSION: string = typeof __PRESSLINK_VERSION__ === 'string' ? __PRESSLINK_VERSION__ : '0.1.0-dev';
