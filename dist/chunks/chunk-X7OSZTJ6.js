#!/usr/bin/env node
import { createRequire as __createRequire } from 'node:module';
const require = __createRequire(import.meta.url);
function r(e){return a(e,"Ready")?.status==="True"&&i(e)}function i(e){return e.status?.observedGeneration===e.metadata.generation}function a(e,n){return e.status?.conditions?.find(t=>t.type===n)}export{r as a,i as b,a as c};
