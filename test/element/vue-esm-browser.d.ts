// Vue's browser ESM build (with the template compiler) ships without its own declaration file;
// it exports exactly what the `vue` package does.
declare module 'vue/dist/vue.esm-browser.js' {
  export * from 'vue';
}
