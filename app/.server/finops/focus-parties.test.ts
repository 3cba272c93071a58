import { describe, expect, it } from "vitest";
import { focusParties } from "./focus-parties";

describe("focusParties", () => {
  it("names OpenAI, Microsoft, OpenRouter, a self-hosted server or the host by where OpenAI-style calls went", () => {
    const at = (baseUrl: string) => focusParties({ provider: "openai-compatible", baseUrl })("openai");
    expect(at("https://api.openai.com/v1")).toMatchObject({ providerName: "OpenAI", serviceName: "OpenAI API" });
    expect(at("https://acme.openai.azure.com/openai/deployments/x")).toMatchObject({
      providerName: "Microsoft",
      invoiceIssuerName: "Microsoft",
      serviceName: "Azure OpenAI",
      billingAccountId: "openai:acme.openai.azure.com",
    });
    expect(at("https://openrouter.ai/api/v1").invoiceIssuerName).toBe("OpenRouter");
    expect(at("http://localhost:11434/v1").providerName).toBe("Self-hosted (localhost)");
    expect(at("http://10.0.0.7:8000/v1").serviceName).toBe("OpenAI-compatible server at 10.0.0.7");
    expect(at("https://llm.example.net/v1").providerName).toBe("llm.example.net");
    // The configured endpoint only says where OpenAI-style calls went when that is the provider configured.
    expect(focusParties({ provider: "anthropic", baseUrl: "http://localhost:1/v1" })("openai").providerName).toBe(
      "OpenAI",
    );
  });

  it("names the model's maker as publisher, whoever served it, and never says 'builtin'", () => {
    const local = focusParties({ provider: "openai-compatible", baseUrl: "http://localhost:11434/v1" })("openai");
    expect(local.publisherOf("llama3.1:8b")).toBe("Meta");
    expect(local.publisherOf("mistralai/Mistral-7B")).toBe("Mistral AI");
    expect(local.publisherOf("gpt-4.1-mini")).toBe("OpenAI");
    expect(local.publisherOf("my-finetune")).toBe("Self-hosted (localhost)");
    const judge = focusParties({ provider: "none" })("builtin");
    expect(Object.values(judge).filter((v) => typeof v === "string")).not.toContain("builtin");
    expect(judge).toMatchObject({ providerName: "Tokenwise", serviceName: "Tokenwise offline judge" });
    expect(focusParties({ provider: "none" })("anthropic")).toMatchObject({
      providerName: "Anthropic",
      serviceName: "Claude API",
      billingAccountId: "anthropic:api.anthropic.com",
    });
  });
});
