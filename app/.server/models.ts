import type { ModelInfo } from "~/domain/models";
import { loadModelCatalogue } from "~/exercises/load.server";
import { config } from "./config";

let catalogue: Map<string, ModelInfo> | undefined;

function models(): Map<string, ModelInfo> {
  if (!catalogue) {
    const loaded = loadModelCatalogue(config().MODELS_FILE);
    catalogue = new Map(loaded.map((m) => [m.id, m]));
  }
  return catalogue;
}

export function getModel(id: string): ModelInfo {
  const model = models().get(id);
  if (!model) throw new Error(`Model "${id}" is not in the catalogue (${config().MODELS_FILE})`);
  return model;
}

export function listModels(): ModelInfo[] {
  return [...models().values()];
}
