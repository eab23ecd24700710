import { inngestHandlers } from "@/inngest/serve";

// Inngest calls this route: GET introspects, PUT syncs the function list, POST runs steps.
// Requests are authenticated by the SDK with INNGEST_SIGNING_KEY outside dev mode.
export const { GET, POST, PUT } = inngestHandlers();
