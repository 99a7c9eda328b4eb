/** The 导入批次 resource: list of imports, the upload form, and an import's progress and report. */
import UploadFileIcon from '@mui/icons-material/UploadFile';
import { ImportCreate } from './ImportCreate';
import { ImportList } from './ImportList';
import { ImportShow } from './ImportShow';

export const importsResource = { list: ImportList, create: ImportCreate, show: ImportShow, icon: UploadFileIcon };
