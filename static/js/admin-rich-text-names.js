// Wagtail's Draftail editors are role="textbox" elements with no accessible name (axe's
// aria-input-field-name): screen readers announce a nameless text box. Name each one after the
// label of the hidden input it writes to (or its block's heading), including editors a StreamField adds later.
(() => {
  const nameEditor = (editor) => {
    if (editor.hasAttribute("aria-label") || editor.hasAttribute("aria-labelledby")) return;
    const input = editor.closest(".w-field__input")?.querySelector("input[type=hidden][id]");
    const label = input && document.querySelector(`label[for="${CSS.escape(input.id)}"]`);
    if (label) {
      if (!label.id) label.id = `${input.id}-label`;
      editor.setAttribute("aria-labelledby", label.id);
      return;
    }
    // A StreamField block without a label of its own: its panel's heading ("Teks") names it.
    const heading = editor.closest("section.w-panel")?.querySelector("[data-panel-heading-text]");
    if (heading?.textContent.trim()) editor.setAttribute("aria-label", heading.textContent.trim());
  };
  const nameAll = () => {
    document.querySelectorAll(".Draftail-Editor [role=textbox]").forEach(nameEditor);
  };
  document.addEventListener("DOMContentLoaded", () => {
    nameAll();
    new MutationObserver(nameAll).observe(document.body, { childList: true, subtree: true });
  });
})();
