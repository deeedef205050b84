#!/usr/bin/env node
import { createRequire as __createRequire } from 'node:module';
const require = __createRequire(import.meta.url);
var e=class extends Error{constructor(r,n){super(r);this.last=n}last;name="WaitTimeoutError"};function o(i){return i instanceof e}export{e as a,o as b};
