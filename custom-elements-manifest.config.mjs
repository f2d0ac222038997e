// `cem analyze` (part of npm run build): dist/custom-elements.json from the elements' JSDoc, for
// editors, frameworks and scripts/element-docs.mjs (which writes the README's element reference).
export default {
  globs: ['widget/src/components/*/*.ts', 'widget/src/internal/lite-element.ts', 'widget/src/internal/portal-element.ts', 'widget/src/internal/portal-view.ts'],
  exclude: ['**/*.test.ts', '**/*.styles.ts'],
  outdir: 'dist',
  litelement: true,
  packagejson: false,
  plugins: [liteElementAttributes()],
};

/**
 * portal.js's elements are LiteElements (widget/src/internal/lite-element.ts), which list their
 * attributes in `static attributes = [...]`, each mirrored by a string property of the same name
 * whose JSDoc describes it. The analyzer knows Lit's `@property()` but not this.
 */
function liteElementAttributes() {
  const LANG = "Language of the element's text (`en`, `es`); when absent, the closest `lang` around it, then the page's `<html lang>`.";
  return {
    name: 'doorstep-lite-element-attributes',
    analyzePhase({ ts, node, moduleDoc }) {
      if (!ts.isClassDeclaration(node) || !node.name) return;
      const list = node.members.find(
        (member) =>
          ts.isPropertyDeclaration(member) &&
          member.name.getText() === 'attributes' &&
          member.modifiers?.some((modifier) => modifier.kind === ts.SyntaxKind.StaticKeyword) &&
          member.initializer &&
          ts.isArrayLiteralExpression(member.initializer),
      );
      const declaration = moduleDoc.declarations?.find((d) => d.name === node.name.getText());
      if (!list || !declaration) return;
      declaration.attributes = list.initializer.elements.filter(ts.isStringLiteral).map(({ text: name }) => {
        const field = declaration.members?.find((member) => member.name === name);
        return { name, fieldName: name, type: { text: 'string' }, description: field?.description ?? (name === 'lang' ? LANG : '') };
      });
    },
  };
}
