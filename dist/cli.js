#!/usr/bin/env node
import { createRequire as __createRequire } from 'node:module';
const require = __createRequire(import.meta.url);
import{a as L}from"./chunks/chunk-FMFJOAJQ.js";import{f as P}from"./chunks/chunk-NXQAPKNB.js";import{a as R,b as C}from"./chunks/chunk-6TD7ROTV.js";import{f as y,g as O,h as T,j as E}from"./chunks/chunk-245A772S.js";import{i as f}from"./chunks/chunk-MO6QXKKU.js";import{a as V,b as k}from"./chunks/chunk-42RZXXBV.js";import{c as g}from"./chunks/chunk-RWO5X36K.js";import{a as q}from"./chunks/chunk-MFUOTAMA.js";import{a as m}from"./chunks/chunk-G7UO3SO3.js";import"./chunks/chunk-5P6NLEJ4.js";import{a as j}from"./chunks/chunk-ZKRTAVCG.js";import"./chunks/chunk-4W7ECRP6.js";import"./chunks/chunk-L3SWUKLP.js";import"./chunks/chunk-O342Q5GC.js";import"./chunks/chunk-O5LCULY2.js";import"./chunks/chunk-HOJJRXMO.js";import{b as x}from"./chunks/chunk-47AGEGQX.js";import"./chunks/chunk-XBXYQOLN.js";import"./chunks/chunk-IH5KV42Q.js";import"./chunks/chunk-CLEVF57Z.js";import"./chunks/chunk-ZQKDO4XI.js";import"./chunks/chunk-WGMPI4NK.js";import{a as J,b as K,d}from"./chunks/chunk-Y3RWSZVK.js";var I=K((X,N)=>{N.exports=J("node:module")});var M=d(q(),1),l=d(j(),1),U=d(I(),1);function $(t={}){let r=t.write??(e=>process.stderr.write(e+`
`)),o=t.secrets??[],s=(e,i)=>r(x(g(e+i,o))),n;return{debug:e=>{t.verbose&&s("debug: ",e)},info:e=>s("",e),warn:e=>s("warning: ",e),error:e=>s("error: ",e),async group(e,i){return s("== ",e),i()},phase(e){e!==n&&s("== ",e),n=e}}}function B(t,r){let o=r.NO_COLOR!==void 0&&r.NO_COLOR!=="",s=t.rows!==0&&t.columns!==0;return t.isTTY&&s&&!o&&r.TERM!=="dumb"?"live":"plain"}async function A(t){if(B(t.stream,t.env)==="plain")return D(t);let{liveView:r}=await import("./chunks/live-view-PWWWHE32.js");return r(t)}function D(t){let r=o=>{let s=new Date(t.now()).toTimeString().slice(0,8);t.stream.write(`${s} ${g(o,t.secrets)}
`)};return{line:r,progress:o=>r(P(o)),step:o=>r(V(o)),result:o=>r(k(o))}}var W=`Usage: knative-rollout <command> [--<input> <value> ...]

Commands: ${T.join(", ")}
  rollout   create a candidate revision at 0%, step its traffic while probing it, then promote or roll back
  promote   continue a paused rollout (with analysis), to 100%
  abort     put a paused rollout's traffic back on the current revision
  status    print the rollout state kept on the Service
  preview   create the candidate at 0%, reachable on its tag URL only

Inputs are the action's (action.yml), as flags: --service shop --image ghcr.io/acme/shop:1.2
--steps 10,25,50,100 --step-interval 30s --pause-at 25 --dry-run --wait-for-lock ...
The cluster comes from --kubeconfig (a file or its content), else KUBECONFIG or ~/.kube/config.

Exit status: 0 promoted, paused, aborted, unchanged, status; 1 rolled back or failed; 2 bad usage.
Outputs are printed to stdout as one JSON line.`;function Y(t){let r=new Map,o,s=!1;for(let n=0;n<t.length;n++){let e=t[n];if(e==="--help"||e==="-h")s=!0;else if(e.startsWith("--")){let i=e.indexOf("="),c=i>0?e.slice(2,i):e.slice(2);if(!y.includes(c)||c==="command")throw new f([`--${c}: not an input; see --help`]);i>0?r.set(c,e.slice(i+1)):n+1<t.length&&!t[n+1].startsWith("--")?r.set(c,t[++n]):r.set(c,"true")}else if(o===void 0)o=e;else throw new f([`unexpected argument "${e}"; see --help`])}return{command:o,flags:r,help:s}}async function z(t,r=process.env){let o;try{o=Y(t)}catch(a){return process.stderr.write(`${a.message}
`),2}if(o.help||!o.command)return process.stdout.write(W+`
`),o.help?0:2;let s=a=>{if(a==="command")return o.command;let p=o.flags.get(a);return a==="kubeconfig"&&p&&!p.includes(`
`)&&(0,l.existsSync)(p)?(0,l.readFileSync)(p,"utf8"):p},n=O(s,r),e;try{e=E(s)}catch(a){return process.stderr.write(`${a.message}
`),2}let i=await A({stream:process.stderr,env:r,secrets:n,now:m.now}),c=$({secrets:n,verbose:r.KNATIVE_ROLLOUT_VERBOSE==="1",write:i.line}),w=new AbortController,h,b=(a,p)=>()=>{h??=p,w.abort(new Error(`${a} received`))};process.once("SIGINT",b("SIGINT",130)),process.once("SIGTERM",b("SIGTERM",143));let v=e.build,G=v?async()=>{let[{buildAndPush:a},{spawnCommand:p}]=await Promise.all([import("./chunks/build-and-push-N3KSLIIU.js"),import("./chunks/command-HNABSFUW.js")]),S=await a(v,{run:p,clock:m,log:F=>c.info(F),env:r});return{image:S.image,digest:S.digest}}:void 0,{run:_}=await import("./chunks/run-S3LV7ODT.js"),u=await _(e,{clock:m,log:c,env:r,signal:w.signal,build:G,onSecret:a=>n.push(a),onStep:i.step,onProgress:i.progress});return i.result(u),u.reason||c.info(u.message),process.stdout.write(C(R(u))+`
`),h??L(u)}function H(t){U.default.enableCompileCache?.(),z(t).then(r=>{process.exitCode=r},r=>{process.stderr.write(`${r instanceof Error?r.message:String(r)}
`),process.exitCode=1})}var Q=process.argv[1]&&(0,M.pathToFileURL)((0,l.realpathSync)(process.argv[1])).href===import.meta.url;Q&&H(process.argv.slice(2));export{W as USAGE,z as cli,Y as parseArgs,H as runCli};
