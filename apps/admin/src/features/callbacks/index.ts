/** What other features may use from callbacks (lint: nothing else of this folder). */
export { ValidityCard } from './components/ValidityCard';
