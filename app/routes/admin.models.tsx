import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { requireRole } from "~/.server/auth";
import { db } from "~/.server/db";
import { listModels, updatePrices } from "~/.server/models";
import { tokenizerName } from "~/domain/plain-words";
import { parseForm } from "~/lib/forms";

export const meta: MetaFunction = () => [{ title: "Model catalogue · Tokenwise" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  return { models: listModels(db()) };
}

const usd = (field: string) =>
  z.coerce
    .number({ invalid_type_error: `${field} must be a number of dollars per 1M tokens` })
    .min(0, `${field} cannot be negative`)
    .max(1000, `${field} above $1,000 per 1M tokens looks like a typo`);

const priceSchema = z.object({
  id: z.string().min(1).max(100),
  input: usd("Input price"),
  cachedInput: usd("Cached input price"),
  output: usd("Output price"),
  asOf: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, "The price date must be YYYY-MM-DD")
    .refine(
      (d) => !Number.isNaN(Date.parse(d)) && Date.parse(d) <= Date.now(),
      "The price date cannot be in the future",
    ),
});

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireRole(request, "admin");
  const parsed = parseForm(priceSchema, await request.formData());
  if (!parsed.ok) return data({ ok: false as const, id: null, errors: parsed.errors }, { status: 400 });
  const { id, input, cachedInput, output, asOf } = parsed.data;
  const toMicros = (usdPerM: number) => Math.round(usdPerM * 1_000_000);
  const updated = updatePrices(
    db(),
    {
      id,
      inputMicrosPerM: toMicros(input),
      cachedInputMicrosPerM: toMicros(cachedInput),
      outputMicrosPerM: toMicros(output),
      priceAsOf: asOf,
    },
    admin.id,
  );
  if (!updated) return data({ ok: false as const, id, errors: { id: `No model "${id}"` } }, { status: 404 });
  return { ok: true as const, id, errors: {} as Record<string, string> };
}

const dollars = (micros: number) => (micros / 1_000_000).toString();

export default function AdminModels() {
  const { models } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  return (
    <>
      <h1>Model catalogue</h1>
      <p className="muted">
        List prices in US dollars per 1M tokens, each with the date it was taken from the provider's price page. New
        grading uses the new price; the ledger keeps the unit prices each past call was charged at.
      </p>
      {result?.ok ? <p className="banner">Saved prices for {result.id}.</p> : null}
      {result && !result.ok ? (
        <p className="form-error" role="alert">
          {Object.values(result.errors).join(" ")}
        </p>
      ) : null}
      <table className="table" data-testid="model-catalogue">
        <thead>
          <tr>
            <th>Model</th>
            <th>Provider</th>
            <th>Tier</th>
            <th>Tokenizer</th>
            <th>Input</th>
            <th>Cached input</th>
            <th>Output</th>
            <th>Price date</th>
            <th>
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {models.map((m) => (
            <tr key={m.id}>
              <td>
                <code>{m.id}</code>
              </td>
              <td>{m.provider}</td>
              <td>
                {m.tier}
                {m.kind === "embedding" ? <span className="muted"> · embeddings (semantic cache only)</span> : null}
              </td>
              <td>
                {tokenizerName(m.encoding)}
                {m.exactTokenizer ? "" : " (approx.)"}
              </td>
              <td colSpan={5}>
                <Form method="post" className="price-form">
                  <input type="hidden" name="id" value={m.id} />
                  <input name="input" aria-label={`${m.id} input price`} defaultValue={dollars(m.inputMicrosPerM)} />
                  <input
                    name="cachedInput"
                    aria-label={`${m.id} cached input price`}
                    defaultValue={dollars(m.cachedInputMicrosPerM)}
                  />
                  <input name="output" aria-label={`${m.id} output price`} defaultValue={dollars(m.outputMicrosPerM)} />
                  <input name="asOf" aria-label={`${m.id} price date`} defaultValue={m.priceAsOf} />
                  <button type="submit" className="secondary" disabled={busy}>
                    Save
                  </button>
                </Form>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
