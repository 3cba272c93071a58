// The exercise format's reference, exercises/README.md, bundled into the server build: the page shows the very text
// the repository holds (a test checks it names every field of the schema), and needs no file at run time.
import reference from "../../../exercises/README.md?raw";

export function fieldReference(): string {
  return reference;
}
