/** What other features may use of the customers feature (lint: features meet only through index.ts). */
export { RevealModal } from './components/RevealModal';
