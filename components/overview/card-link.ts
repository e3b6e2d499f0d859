/** The look of the links in the overview cards' corners. */
export const cardLink = 'text-xs font-medium text-indigo-600 hover:text-indigo-500';
