#!/usr/bin/env node
import { createRequire as __createRequire } from 'node:module';
const require = __createRequire(import.meta.url);
import{a}from"./chunk-PHQYJP3O.js";import"./chunk-WGMPI4NK.js";import"./chunk-Y3RWSZVK.js";export{a as spawnCommand};
