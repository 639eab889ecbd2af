// The design system's behaviour (error summary focus, header menu, character counts); every
// form works without it.
import { initAll } from './nhsuk-frontend.min.js';

initAll();
