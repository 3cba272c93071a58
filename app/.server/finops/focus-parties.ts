/**
 * Who provided, published and invoiced a ledger call, for the FOCUS export (focus.ts). The ledger keeps the
 * catalogue's provider ("openai", "anthropic", "builtin" for the offline judge); where the calls went is the
 * configured endpoint (LLM_PROVIDER, LLM_BASE_URL), so an "openai" call sent to Azure is Microsoft's to invoice and a
 * call to a self-hosted server is nobody's. BillingAccountId names that endpoint (provider:host): the ledger does
 * not know the organisation's account number with the provider. Pure.
 */

export interface FocusParties {
  providerName: string;
  invoiceIssuerName: string;
  serviceName: string;
  billingAccountId: string;
  billingAccountName: string;
  /** The model's maker, from its name (gpt-… → OpenAI, claude-… → Anthropic…), else the provider. */
  publisherOf: (model: string) => string;
}

export interface Endpoint {
  /** LLM_PROVIDER. */
  provider: "none" | "openai-compatible" | "anthropic";
  /** LLM_BASE_URL. */
  baseUrl?: string;
}

const PUBLISHERS: [RegExp, string][] = [
  [/^(gpt|o\d|text-embedding|chatgpt|davinci|babbage|whisper|dall-e)/i, "OpenAI"],
  [/^claude/i, "Anthropic"],
  [/^(llama|meta-llama)/i, "Meta"],
  [/^(mistral|mixtral|codestral|ministral)/i, "Mistral AI"],
  [/^(gemini|gemma)/i, "Google"],
  [/^qwen/i, "Alibaba Cloud"],
  [/^deepseek/i, "DeepSeek"],
  [/^phi-/i, "Microsoft"],
  [/^offline-judge/i, "Tokenwise"],
];

const publisher = (fallback: string) => (model: string) =>
  PUBLISHERS.find(([re]) => re.test(model.replace(/^.*\//, "")))?.[1] ?? fallback;

function isPrivateHost(host: string): boolean {
  return (
    host === "localhost" ||
    host.endsWith(".local") ||
    host.endsWith(".internal") ||
    /^(127\.|10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.)/.test(host) ||
    host === "[::1]" ||
    !host.includes(".")
  );
}

function hostOf(url: string | undefined): string | null {
  if (!url) return null;
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return null;
  }
}

function openAiCompatible(host: string): Omit<FocusParties, "billingAccountId" | "billingAccountName" | "publisherOf"> {
  if (host === "api.openai.com")
    return { providerName: "OpenAI", invoiceIssuerName: "OpenAI", serviceName: "OpenAI API" };
  if (host.endsWith(".openai.azure.com") || host.endsWith(".azure.com") || host.endsWith(".azure-api.net"))
    return { providerName: "Microsoft", invoiceIssuerName: "Microsoft", serviceName: "Azure OpenAI" };
  if (host === "openrouter.ai")
    return { providerName: "OpenRouter", invoiceIssuerName: "OpenRouter", serviceName: "OpenRouter API" };
  if (isPrivateHost(host))
    return {
      providerName: `Self-hosted (${host})`,
      invoiceIssuerName: `Self-hosted (${host})`,
      serviceName: `OpenAI-compatible server at ${host}`,
    };
  return { providerName: host, invoiceIssuerName: host, serviceName: `OpenAI-compatible API at ${host}` };
}

export function focusParties(endpoint: Endpoint): (provider: string) => FocusParties {
  const configured = hostOf(endpoint.baseUrl);
  return (provider) => {
    if (provider === "builtin")
      return {
        providerName: "Tokenwise",
        invoiceIssuerName: "Tokenwise",
        serviceName: "Tokenwise offline judge",
        billingAccountId: "tokenwise:offline-judge",
        billingAccountName: "Tokenwise offline judge (no charge)",
        publisherOf: () => "Tokenwise",
      };
    if (provider === "anthropic") {
      const host = (endpoint.provider === "anthropic" && configured) || "api.anthropic.com";
      const direct = host === "api.anthropic.com";
      const names = direct
        ? { providerName: "Anthropic", invoiceIssuerName: "Anthropic", serviceName: "Claude API" }
        : openAiCompatible(host);
      return {
        ...names,
        serviceName: direct ? names.serviceName : `Anthropic-compatible API at ${host}`,
        billingAccountId: `anthropic:${host}`,
        billingAccountName: `${names.invoiceIssuerName} account used by Tokenwise`,
        publisherOf: publisher("Anthropic"),
      };
    }
    const host = (endpoint.provider === "openai-compatible" && configured) || "api.openai.com";
    const names = openAiCompatible(host);
    return {
      ...names,
      billingAccountId: `${provider}:${host}`,
      billingAccountName: `${names.invoiceIssuerName} account used by Tokenwise`,
      publisherOf: publisher(names.providerName),
    };
  };
}
