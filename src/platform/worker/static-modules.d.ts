// wrangler.toml's [[rules]] bundle these files as Data modules: the default export is the file's bytes.
// (A pattern declaration: TypeScript uses it for these specifiers instead of the .js/.css files themselves.)
declare module '*/static/app.css' {
  const bytes: ArrayBuffer;
  export default bytes;
}
declare module '*/static/app.js' {
  const bytes: ArrayBuffer;
  export default bytes;
}
declare module '*/static/htmx.min.js' {
  const bytes: ArrayBuffer;
  export default bytes;
}
declare module '*/static/js/signature.js' {
  const bytes: ArrayBuffer;
  export default bytes;
}
