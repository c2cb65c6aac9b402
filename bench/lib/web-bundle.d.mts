interface Weighed {
  file: string;
  raw: number;
  gzip: number;
  brotli: number;
}
interface Sizes {
  raw: number;
  gzip: number;
  brotli: number;
}
export function firstScreenBundle(webRoot: string): {
  files: Weighed[];
  js: Sizes;
  total: Sizes;
  lazy: { count: number; gzip: number };
};
