import { useEffect, useRef } from "react";
import { addEditorKeys } from "./editor-keys.client";
import { setupMonaco } from "./monaco-setup.client";

export interface PromptEditorProps {
  value: string;
  onChange: (value: string) => void;
  language?: "markdown" | "yaml" | "plaintext";
  ariaLabel: string;
  height?: number;
  /** Ctrl/Cmd+Enter in the editor: called with its text (e.g. to submit the form). */
  onSubmit?: (text: string) => void;
  /** Called with the editor once, e.g. to add markers; returns nothing. */
  onReady?: (editor: import("monaco-editor/editor/editor.api").editor.IStandaloneCodeEditor) => void;
}

/**
 * A thin wrapper over the bundled Monaco editor. The editor owns its text: `value` is only the
 * initial content, so typing never round-trips through React state into the editor.
 */
export default function PromptEditor({
  value,
  onChange,
  language = "markdown",
  ariaLabel,
  height = 420,
  onReady,
  onSubmit,
}: PromptEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;
  const initial = useRef(value);
  const onReadyRef = useRef(onReady);
  const onSubmitRef = useRef(onSubmit);
  onSubmitRef.current = onSubmit;

  useEffect(() => {
    if (!host.current) return;
    const monaco = setupMonaco();
    const editor = monaco.editor.create(host.current, {
      value: initial.current,
      language,
      ariaLabel,
      automaticLayout: true,
      wordWrap: "on",
      // The default dims the line number after a final newline to 2.9:1 contrast (axe: color-contrast).
      renderFinalNewline: "on",
      minimap: { enabled: false },
      lineNumbers: "on",
      fontSize: 14,
      scrollBeyondLastLine: false,
      renderWhitespace: "selection",
      unicodeHighlight: { ambiguousCharacters: false },
      quickSuggestions: false,
      wordBasedSuggestions: "off",
    });
    const sub = editor.onDidChangeModelContent(() => onChangeRef.current(editor.getValue()));
    const keys = addEditorKeys(monaco, editor, {
      onSubmit: onSubmitRef.current ? (text) => onSubmitRef.current?.(text) : undefined,
    });
    onReadyRef.current?.(editor);
    return () => {
      sub.dispose();
      for (const k of keys) k.dispose();
      editor.getModel()?.dispose();
      editor.dispose();
    };
  }, [language, ariaLabel]);

  return <div ref={host} className="monaco-host" style={{ height }} data-testid="prompt-editor" />;
}
