import type * as Monaco from "monaco-editor/editor/editor.api";

type Editor = Monaco.editor.IStandaloneCodeEditor;

/** Monaco's own uses of Escape (closing a widget, dropping extra cursors) keep priority over leaving. */
const ESC_IS_FREE =
  "editorTextFocus && !suggestWidgetVisible && !findWidgetVisible && !editorHasMultipleSelections && " +
  "!inSnippetMode && !parameterHintsVisible && !renameInputVisible && !editorHoverVisible";

/** The keys, in words, for the editor's accessible name and the hint under it. */
export const EDITOR_KEYS_HINT = "Esc then Tab leaves the editor (or Ctrl+M to switch Tab between typing and moving on)";

/**
 * Keyboard ways out of a Monaco editor, which otherwise keeps Tab for indenting and so traps a keyboard user
 * (WCAG 2.1.2). Escape makes the next Tab (or Shift+Tab) move focus out, as CodeMirror and VS Code's terminal do;
 * typing again, or coming back into the editor, gives Tab back to indenting. Ctrl+M (Ctrl+Shift+M on a Mac) is
 * Monaco's own switch for the same mode. Ctrl/Cmd+Enter calls `onSubmit` with the text, when given.
 */
export function addEditorKeys(
  monaco: typeof Monaco,
  editor: Editor,
  { onSubmit }: { onSubmit?: (text: string) => void } = {},
): Monaco.IDisposable[] {
  const release = (on: boolean) => {
    if (editor.getOption(monaco.editor.EditorOption.tabFocusMode) !== on) editor.updateOptions({ tabFocusMode: on });
  };
  const disposables: Monaco.IDisposable[] = [
    editor.addAction({
      id: "tokenwise.leaveEditor",
      label: "Leave the editor: the next Tab moves focus on",
      keybindings: [monaco.KeyCode.Escape],
      keybindingContext: ESC_IS_FREE,
      run: () => release(true),
    }),
    editor.onDidChangeModelContent(() => release(false)),
    editor.onDidBlurEditorText(() => release(false)),
  ];
  if (onSubmit) {
    disposables.push(
      editor.addAction({
        id: "tokenwise.submit",
        label: "Submit for grading",
        keybindings: [monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter],
        run: () => onSubmit(editor.getValue()),
      }),
    );
  }
  return disposables;
}
