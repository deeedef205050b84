#!/usr/bin/env node
import { createRequire as __createRequire } from 'node:module';
const require = __createRequire(import.meta.url);
var t=class s extends Error{constructor(r,n){super(r.join(`
`));this.problems=r;this.input=n;this.name="InputError"}problems;input;static of(r,n){return new s([`${r}: ${n}`],r)}};export{t as a};
