#!/usr/bin/env node
// `npx invent` / `npm start`: runs the TypeScript sources through tsx's loader.
import { register } from 'tsx/esm/api';

register({ tsconfig: new URL('../../tsconfig.json', import.meta.url).pathname });
await import('./node.ts');
