// Knative Serving semantics for the emulator: the webhooks (admit), version presentation
// (present) and the controller. The API server calls these (docs/architecture.md).

export { admit, VALIDATION_WEBHOOK, type AdmissionRequest } from './admission.js'
export { present } from './present.js'
export { Controller } from './controller.js'
export { registryResolver, type ImageResolver } from './image.js'
