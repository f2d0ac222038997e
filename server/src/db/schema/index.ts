export * from './businesses';
export * from './customers';
export * from './work';
export * from './messages';
export * from './auth';
export * from './system';
export * from './webhooks';
export * from './console';
