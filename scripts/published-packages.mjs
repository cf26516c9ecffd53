// The packages a user installs, in the order their dependencies need them: what the build builds and
// what pack-packages packs.
export const PUBLISHED_PACKAGES = ['semconv', 'sdk', 'otlp-receiver', 'analyzer', 'demo', 'cli'];
