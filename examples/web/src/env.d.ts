/** Build-time settings (`VITE_GATEWAY_URL=… npx vite build examples/web`). */
interface ImportMetaEnv {
  /** The gateway URL the form starts with; `http://localhost:4000/graphql` when unset. */
  readonly VITE_GATEWAY_URL?: string;
}
