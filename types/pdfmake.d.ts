/**
 * The little of pdfmake (0.3, server side) that api/letters/pdf.ts uses. Its DefinitelyTyped
 * package declares the DOM library for the whole program, which a Node project must not take.
 */
declare module 'pdfmake' {
  export type Content =
    | string
    | ({
        text?: string | Content[];
        ul?: Content[];
        margin?: [number, number, number, number];
        /** An SVG drawing (the CQRG pack's charts). */
        svg?: string;
        width?: number;
        /** A table (the CQRG pack's). */
        table?: { headerRows?: number; dontBreakRows?: boolean; widths?: (number | '*' | 'auto')[]; body: Content[][] };
        layout?: string;
      } & Style);
  export interface Style {
    font?: string;
    fontSize?: number;
    bold?: boolean;
    italics?: boolean;
    alignment?: 'left' | 'right' | 'center';
    lineHeight?: number;
  }
  export interface TDocumentDefinitions {
    pageSize?: 'A4';
    pageMargins?: [number, number, number, number];
    info?: { title?: string; subject?: string; author?: string; creator?: string; producer?: string };
    language?: string;
    displayTitle?: boolean;
    tagged?: boolean;
    content: Content[];
    defaultStyle?: Style;
  }
  interface FontFiles {
    normal: string;
    bold: string;
    italics: string;
    bolditalics: string;
  }
  interface PdfMake {
    setFonts(fonts: Record<string, FontFiles>): void;
    setLocalAccessPolicy(allow: (path: string) => boolean): void;
    setUrlAccessPolicy(allow: (url: string) => boolean): void;
    createPdf(definition: TDocumentDefinitions): { getBuffer(): Promise<Buffer> };
  }
  const pdfmake: PdfMake;
  export default pdfmake;
}
