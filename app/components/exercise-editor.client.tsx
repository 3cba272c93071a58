// The shared Monaco setup registers only inline completions; field-name completions need the
// suggest widget itself, which only this editor loads.
import "monaco-editor/editor/contrib/suggest/browser/suggestController";
import { forwardRef, useEffect, useImperativeHandle, useRef } from "react";
import { addEditorKeys } from "./editor-keys.client";
import { suggestFields } from "./exercise-fields";
import { setupMonaco } from "./monaco-setup.client";

type Monaco = ReturnType<typeof setupMonaco>;
type Editor = import("monaco-editor/editor/editor.api").editor.IStandaloneCodeEditor;

export interface EditorError {
  line: number;
  column: number;
  field: string;
  message: string;
}

export interface ExerciseEditorHandle {
  /** Moves the cursor to a line (from the error list) and focuses the editor. */
  revealLine: (line: number, column?: number) => void;
}

export interface ExerciseEditorProps {
  initialText: string;
  onChange: (text: string) => void;
  errors: EditorError[];
  readOnly?: boolean;
  height?: number;
}

const MARKER_OWNER = "exercise-schema";

/**
 * Monaco on an exercise's YAML: schema errors as markers on their lines and field-name completions.
 * Like the prompt editor, it owns its text: `initialText` seeds it and typing never round-trips
 * through React state back into the editor.
 */
const ExerciseEditor = forwardRef<ExerciseEditorHandle, ExerciseEditorProps>(function ExerciseEditor(
  { initialText, onChange, errors, readOnly = false, height = 560 },
  ref,
) {
  const host = useRef<HTMLDivElement>(null);
  const editorRef = useRef<Editor | null>(null);
  const monacoRef = useRef<Monaco | null>(null);
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;
  const initial = useRef(initialText);

  useEffect(() => {
    if (!host.current) return;
    const monaco = setupMonaco();
    registerCompletions(monaco);
    const editor = monaco.editor.create(host.current, {
      value: initial.current,
      language: "yaml",
      ariaLabel: "Exercise file (YAML)",
      readOnly,
      automaticLayout: true,
      wordWrap: "on",
      // The default dims the line number after a final newline to 2.9:1 contrast (axe: color-contrast).
      renderFinalNewline: "on",
      minimap: { enabled: false },
      lineNumbers: "on",
      fontSize: 13,
      tabSize: 2,
      insertSpaces: true,
      scrollBeyondLastLine: false,
      quickSuggestions: { other: true, comments: false, strings: true },
      wordBasedSuggestions: "off",
      unicodeHighlight: { ambiguousCharacters: false },
      fixedOverflowWidgets: true,
    });
    editorRef.current = editor;
    monacoRef.current = monaco;
    const sub = editor.onDidChangeModelContent(() => onChangeRef.current(editor.getValue()));
    const keys = addEditorKeys(monaco, editor);
    return () => {
      sub.dispose();
      for (const k of keys) k.dispose();
      editor.getModel()?.dispose();
      editor.dispose();
      editorRef.current = null;
    };
  }, [readOnly]);

  useEffect(() => {
    const editor = editorRef.current;
    const monaco = monacoRef.current;
    const model = editor?.getModel();
    if (!editor || !monaco || !model) return;
    monaco.editor.setModelMarkers(
      model,
      MARKER_OWNER,
      errors.map((e) => {
        const line = Math.min(Math.max(e.line, 1), model.getLineCount());
        return {
          severity: monaco.MarkerSeverity.Error,
          message: `${e.field}: ${e.message}`,
          startLineNumber: line,
          startColumn: Math.max(e.column, 1),
          endLineNumber: line,
          endColumn: model.getLineMaxColumn(line),
        };
      }),
    );
  }, [errors]);

  useImperativeHandle(ref, () => ({
    revealLine(line, column = 1) {
      const editor = editorRef.current;
      if (!editor) return;
      editor.revealLineInCenter(line);
      editor.setPosition({ lineNumber: line, column });
      editor.focus();
    },
  }));

  return <div ref={host} className="monaco-host" style={{ height }} data-testid="exercise-editor" />;
});

export default ExerciseEditor;

let completionsRegistered = false;

/** Monaco's completion providers are global per language, so this registers once per page load. */
function registerCompletions(monaco: Monaco): void {
  if (completionsRegistered) return;
  completionsRegistered = true;
  monaco.languages.registerCompletionItemProvider("yaml", {
    triggerCharacters: [" ", "-"],
    provideCompletionItems(model, position) {
      const lines = model.getLinesContent();
      const suggestions = suggestFields(lines, position.lineNumber - 1, position.column - 1);
      const word = model.getWordUntilPosition(position);
      const range = {
        startLineNumber: position.lineNumber,
        endLineNumber: position.lineNumber,
        startColumn: word.startColumn,
        endColumn: word.endColumn,
      };
      return {
        suggestions: suggestions.map((s) => ({
          label: s.label,
          kind:
            s.kind === "field" ? monaco.languages.CompletionItemKind.Field : monaco.languages.CompletionItemKind.Value,
          insertText: s.kind === "field" ? `${s.label}: ` : s.label,
          detail: s.detail,
          range,
        })),
      };
    },
  });
}
