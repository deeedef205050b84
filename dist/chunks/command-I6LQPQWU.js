#!/usr/bin/env node
import { createRequire as __createRequire } from 'node:module';
const require = __createRequire(import.meta.url);
import{a}from"./chunk-IC3TRY6Z.js";import"./chunk-ZZBB6BWV.js";import"./chunk-D2YR4BHF.js";export{a as spawnCommand};
