export { AuthErrorCode } from './codes.js';
export {
  presignUrl,
  signRequest,
  signRequestNow,
  type PresignedRequest,
  type PresignOptions,
  type RequestToSign,
  type SigningCredentials,
  type SigningScope,
} from './sign.js';
export { verifySigV4, type CredentialRecord, type IncomingRequest, type VerifiedCaller, type VerifyOptions } from './verify.js';
export { IDENTITY_HEADERS, identityHeaders, readIdentity, type Identity } from './identity.js';
export { isDefaultPublicPath, registerSigV4Auth, type SigV4AuthOptions } from './fastify-hook.js';
