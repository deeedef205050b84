#!/usr/bin/env node
import { createRequire as __createRequire } from 'node:module';
const require = __createRequire(import.meta.url);
import{a as L}from"./chunks/chunk-FMFJOAJQ.js";import{f as R}from"./chunks/chunk-NXQAPKNB.js";import{h as O,i as T,j as E,l as P,n as C,p as V}from"./chunks/chunk-66J3KTG6.js";import{i as w}from"./chunks/chunk-MO6QXKKU.js";import{a as k,b as N}from"./chunks/chunk-YUXDYME4.js";import{c as g}from"./chunks/chunk-RWO5X36K.js";import{a as D}from"./chunks/chunk-MFUOTAMA.js";import{a as m}from"./chunks/chunk-G7UO3SO3.js";import"./chunks/chunk-5P6NLEJ4.js";import{a as B}from"./chunks/chunk-ZKRTAVCG.js";import"./chunks/chunk-4W7ECRP6.js";import"./chunks/chunk-L3SWUKLP.js";import"./chunks/chunk-O342Q5GC.js";import"./chunks/chunk-O5LCULY2.js";import"./chunks/chunk-HOJJRXMO.js";import{b as x}from"./chunks/chunk-47AGEGQX.js";import"./chunks/chunk-XBXYQOLN.js";import"./chunks/chunk-IH5KV42Q.js";import"./chunks/chunk-CLEVF57Z.js";import"./chunks/chunk-ZQKDO4XI.js";import"./chunks/chunk-WGMPI4NK.js";import{a as K,b as j,d as f}from"./chunks/chunk-Y3RWSZVK.js";var $=j((ee,I)=>{I.exports=K("node:module")});var U=f(D(),1),l=f(B(),1),G=f($(),1);function A(t={}){let r=t.write??(e=>process.stderr.write(e+`
`)),s=t.secrets??[],o=(e,a)=>r(x(g(e+a,s))),i;return{debug:e=>{t.verbose&&o("debug: ",e)},info:e=>o("",e),warn:e=>o("warning: ",e),error:e=>o("error: ",e),async group(e,a){return o("== ",e),a()},phase(e){e!==i&&o("== ",e),i=e}}}function W(t,r){let s=r.NO_COLOR!==void 0&&r.NO_COLOR!=="",o=t.rows!==0&&t.columns!==0;return t.isTTY&&o&&!s&&r.TERM!=="dumb"?"live":"plain"}async function M(t){if(W(t.stream,t.env)==="plain")return Y(t);let{liveView:r}=await import("./chunks/live-view-2WXBQJE5.js");return r(t)}function Y(t){let r=s=>{let o=new Date(t.now()).toTimeString().slice(0,8);t.stream.write(`${o} ${g(s,t.secrets)}
`)};return{line:r,progress:s=>r(R(s)),step:(s,o)=>r(k(s,o)),result:s=>r(N(s))}}var z=`Usage: knative-rollout <command> [--<input> <value> ...]

Commands: ${E.join(", ")}
  rollout   create a candidate revision at 0%, step its traffic while probing it, then promote or roll back
  promote   continue a paused rollout (with analysis), to 100%
  abort     put a paused rollout's traffic back on the current revision
  status    print the rollout state kept on the Service
  preview   create the candidate at 0%, reachable on its tag URL only

Inputs are the action's (action.yml), as flags: --service shop --image ghcr.io/acme/shop:1.2
--steps 10,25,50,100 --step-interval 30s --pause-at 25 --dry-run --wait-for-lock ...
The cluster comes from --kubeconfig (a file or its content), else KUBECONFIG or ~/.kube/config.
Several Services: --manifest 'deploy/*.yaml' (quoted), or --service a,b for promote, abort,
status; --waves for stages of clusters (docs/pipelines.md). Outputs then carry "results".

Exit status: 0 promoted, paused, aborted, unchanged, status; 1 rolled back or failed; 2 bad usage.
Outputs are printed to stdout as one JSON line.`;function H(t){let r=new Map,s,o=!1;for(let i=0;i<t.length;i++){let e=t[i];if(e==="--help"||e==="-h")o=!0;else if(e.startsWith("--")){let a=e.indexOf("="),c=a>0?e.slice(2,a):e.slice(2);if(!O.includes(c)||c==="command")throw new w([`--${c}: not an input; see --help`]);a>0?r.set(c,e.slice(a+1)):i+1<t.length&&!t[i+1].startsWith("--")?r.set(c,t[++i]):r.set(c,"true")}else if(s===void 0)s=e;else throw new w([`unexpected argument "${e}"; see --help`])}return{command:s,flags:r,help:o}}async function Q(t,r=process.env){let s;try{s=H(t)}catch(n){return process.stderr.write(`${n.message}
`),2}if(s.help||!s.command)return process.stdout.write(z+`
`),s.help?0:2;let o=n=>{if(n==="command")return s.command;let p=s.flags.get(n);return n==="kubeconfig"&&p&&!p.includes(`
`)&&(0,l.existsSync)(p)?(0,l.readFileSync)(p,"utf8"):p},i=T(o,r),e;try{e=P(o)}catch(n){return process.stderr.write(`${n.message}
`),2}let a=await M({stream:process.stderr,env:r,secrets:i,now:m.now}),c=A({secrets:i,verbose:r.KNATIVE_ROLLOUT_VERBOSE==="1",write:a.line}),h=new AbortController,b,v=(n,p)=>()=>{b??=p,h.abort(new Error(`${n} received`))};process.once("SIGINT",v("SIGINT",130)),process.once("SIGTERM",v("SIGTERM",143));let S=e.build,_=S?async()=>{let[{buildAndPush:n},{spawnCommand:p}]=await Promise.all([import("./chunks/build-and-push-N3KSLIIU.js"),import("./chunks/command-HNABSFUW.js")]),y=await n(S,{run:p,clock:m,log:q=>c.info(q),env:r});return{image:y.image,digest:y.digest}}:void 0,{runPipeline:F}=await import("./chunks/run-pipeline-MO2Q6WAG.js"),d=await F(e,{clock:m,log:c,env:r,signal:h.signal,build:_,onSecret:n=>i.push(n),onStep:a.step,onProgress:a.progress}),{outcome:u}=d;for(let n of d.reports)a.result(n);u.reason||c.info(u.message);let J={...C(u),results:d.results};return process.stdout.write(V(J)+`
`),b??L(u)}function X(t){G.default.enableCompileCache?.(),Q(t).then(r=>{process.exitCode=r},r=>{process.stderr.write(`${r instanceof Error?r.message:String(r)}
`),process.exitCode=1})}var Z=process.argv[1]&&(0,U.pathToFileURL)((0,l.realpathSync)(process.argv[1])).href===import.meta.url;Z&&X(process.argv.slice(2));export{z as USAGE,Q as cli,H as parseArgs,X as runCli};
