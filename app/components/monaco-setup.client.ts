// Monaco is bundled (no CDN): the core editor API plus only the features a prompt editor needs,
// and only the base editor worker. See STACK.md for why this is a function and not a bare import.
import * as monaco from "monaco-editor/editor/editor.api";
import "monaco-editor/features/codicon/register";
import "monaco-editor/features/find/register";
import "monaco-editor/features/clipboard/register";
import "monaco-editor/features/contextmenu/register";
import "monaco-editor/features/cursorUndo/register";
import "monaco-editor/features/linesOperations/register";
import "monaco-editor/features/multicursor/register";
import "monaco-editor/features/wordOperations/register";
import "monaco-editor/features/wordHighlighter/register";
import "monaco-editor/features/placeholderText/register";
import "monaco-editor/features/hover/register";
import "monaco-editor/features/suggest/register";
// Ctrl+M (Ctrl+Shift+M on a Mac): Tab moves focus instead of indenting, as Monaco documents for tab trapping.
import "monaco-editor/features/toggleTabFocusMode/register";
import "monaco-editor/languages/definitions/markdown/register";
import "monaco-editor/languages/definitions/yaml/register";
import EditorWorker from "monaco-editor/editor/editor.worker?worker";

let ready = false;

export function setupMonaco(): typeof monaco {
  if (!ready) {
    self.MonacoEnvironment = { getWorker: () => new EditorWorker() };
    ready = true;
  }
  return monaco;
}
