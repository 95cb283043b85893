// Placeholder; replaced by the mount API.
export {};
