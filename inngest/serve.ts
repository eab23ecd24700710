import type { NextRequest } from "next/server";
import { serve } from "inngest/next";
import { env } from "@/lib/env";
import { inngest } from "./client";
import { functions } from "./index";

type Handler = (request: NextRequest, context: unknown) => Promise<Response>;

const json = (status: number, error: string) => Response.json({ error }, { status, headers: { "Cache-Control": "no-store" } });

/**
 * The ids Inngest calls a function by (`?fnId=`): the app id, a dash, the function's id, as the
 * SDK builds them when it registers the functions.
 */
export const servedFunctionIds = () => new Set(functions.map((fn) => fn.id(inngest.id)));

/**
 * The route's handlers. The SDK answers every request with a 500 when Inngest is not configured
 * (no signing key in cloud mode), throws on a POST body that is not JSON, and returns its stack
 * for an unknown function: those are settled here first, so only requests it can serve reach it,
 * and whatever it throws still becomes a short JSON error.
 */
export function inngestHandlers(): { GET: Handler; POST: Handler; PUT: Handler } {
  const served = serve({ client: inngest, functions });
  const ids = servedFunctionIds();
  const guard =
    (method: "GET" | "POST" | "PUT"): Handler =>
    async (request, context) => {
      // The embedded scheduler runs the queue: there is nothing here to serve.
      if (!env.inngestEnabled) return json(404, "Inngest is not configured");
      // Inngest's trust probe (?probe=trust) names no function: the SDK checks its signature.
      if (method === "POST" && !new URL(request.url).searchParams.has("probe")) {
        const fnId = new URL(request.url).searchParams.get("fnId");
        if (!fnId || !ids.has(fnId)) return json(404, "Unknown function");
        let body: unknown;
        try {
          body = JSON.parse(await request.clone().text());
        } catch {
          return json(400, "The request body is not JSON");
        }
        // Every run request carries its event; without one the SDK answers a 500 with its stack.
        if (!isObject(body) || !isObject(body.event)) return json(400, "The request body is not a run request");
      }
      try {
        return withoutStack(await served[method](request, context));
      } catch (error) {
        console.error("inngest:", error);
        return json(500, "Internal error");
      }
    };
  return { GET: guard("GET"), POST: guard("POST"), PUT: guard("PUT") };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * The SDK serialises a failed run's error with its stack into a 500's body. Inngest needs its
 * name and message only; the stack goes to the server's log, never into a response.
 */
export async function withoutStack(response: Response): Promise<Response> {
  if (response.status < 500) return response;
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return new Response(text, { status: response.status, headers: response.headers });
  }
  if (isObject(body) && "stack" in body) {
    console.error("inngest:", body.stack);
    delete body.stack;
  }
  const headers = new Headers(response.headers);
  headers.delete("content-length");
  return new Response(JSON.stringify(body), { status: response.status, headers });
}
