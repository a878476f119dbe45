// The one Node.js API the strict mode uses (workerd implements it; the suite's runtime enables
// it), declared alone so the Worker code's types stay those of workerd.
declare module "node:async_hooks" {
  export class AsyncLocalStorage<T> {
    getStore(): T | undefined;
    run<R>(store: T, fn: () => R): R;
  }
}
